// title: Papers that build on a model and release code
// answers: Which papers build on $model and link a code repository, with their repositories?
// param: model = "LLaMA" -- the base model: its id, or its name or an alias in any case
MATCH (m:Model)
WHERE m.id = $model OR toLower(m.name) = toLower($model)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($model))
MATCH (p:Paper)-[:BUILDS_ON]->(m)
MATCH (p)-[:HAS_CODE]->(r:Repository)
WITH p, r ORDER BY r.url
RETURN p.id AS id, p.title AS title, collect(DISTINCT r.url) AS repositories
ORDER BY id
