// title: Papers that build on a model without code
// answers: Which papers build on $model but link no code repository?
// param: model = "LLaMA" -- the base model: its id, or its name or an alias in any case
MATCH (m:Model)
WHERE m.id = $model OR toLower(m.name) = toLower($model)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($model))
MATCH (p:Paper)-[:BUILDS_ON]->(m)
WHERE NOT (p)-[:HAS_CODE]->(:Repository)
RETURN DISTINCT p.id AS id, p.title AS title
ORDER BY id
