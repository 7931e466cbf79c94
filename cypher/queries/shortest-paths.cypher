// title: Shortest paths between two entities
// answers: How are $a and $b connected: every shortest path of at most 10 relationships between them, in either direction, as node ids and relationship types?
// param: a = "LLaMA" -- one entity: its id, or its name or an alias in any case
// param: b = "LoRA" -- the other entity, the same way
MATCH (x)
WHERE x.id = $a OR toLower(x.name) = toLower($a)
   OR any(alias IN coalesce(x.aliases, []) WHERE toLower(alias) = toLower($a))
MATCH (y)
WHERE y.id = $b OR toLower(y.name) = toLower($b)
   OR any(alias IN coalesce(y.aliases, []) WHERE toLower(alias) = toLower($b))
WITH x, y WHERE x <> y
MATCH path = allShortestPaths((x)-[*..10]-(y))
RETURN [n IN nodes(path) | n.id] AS nodes, [r IN relationships(path) | type(r)] AS types
ORDER BY nodes, types
