// title: Datasets used by the papers of a method
// answers: Which datasets do the papers that use or introduce $method (say, instruction tuning) use most?
// param: method = "instruction tuning" -- the method: its id, or its name or an alias in any case
// param: limit = 10 -- how many datasets to list
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (p:Paper)-[:USES_METHOD|INTRODUCES]->(m)
MATCH (p)-[:USES_DATASET]->(d:Dataset)
RETURN d.id AS id, d.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
