// title: Methods that co-occur with a method
// answers: Which other methods appear most often in the papers that use or introduce $method?
// param: method = "LoRA" -- the method: its id, or its name or an alias in any case
// param: limit = 10 -- how many methods to list
MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = toLower($method)
   OR any(alias IN coalesce(m.aliases, []) WHERE toLower(alias) = toLower($method))
MATCH (p:Paper)-[:USES_METHOD|INTRODUCES]->(m)
MATCH (p)-[:USES_METHOD|INTRODUCES]->(other:Method)
WHERE other <> m
RETURN other.id AS id, other.name AS name, count(DISTINCT p) AS papers
ORDER BY papers DESC, id
LIMIT $limit
