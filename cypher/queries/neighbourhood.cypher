// title: Neighbourhood of an entity, for Browser's graph view
// answers: What is one relationship away from the entity $name (nodes and relationships to draw)?
// param: name = "LLaMA" -- the entity: its id, or its name or an alias in any case
// param: limit = 100 -- at most this many relationships
MATCH (n)
WHERE n.id = $name OR toLower(n.name) = toLower($name)
   OR any(alias IN coalesce(n.aliases, []) WHERE toLower(alias) = toLower($name))
MATCH (n)-[r]-(m)
RETURN n, r, m
ORDER BY n.id, type(r), m.id, startNode(r).id
LIMIT $limit
