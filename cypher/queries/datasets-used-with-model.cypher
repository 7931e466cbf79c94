// title: Datasets most used together with a model
// answers: Which datasets do the papers that introduce, build on or mention $model use most?
// param: model = "LLaMA" -- the model: its id, or its name or an alias in any case
// param: limit = 10 -- how many datasets to list
MATCH (m:Model)
WHERE m.id = $model OR toLower(m.name) = toLower($model)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($model))
MATCH (p:Paper)-[:INTRODUCES|BUILDS_ON|MENTIONS]->(m)
MATCH (p)-[:USES_DATASET]->(d:Dataset)
RETURN d.id AS id, d.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
