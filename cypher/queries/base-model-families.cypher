// title: What each base-model family spawned
// answers: For every root base model (one derived from no other model), how many models derive from it at any depth, and which?
// param: limit = 25 -- how many families to list
MATCH (d:Model)-[:DERIVED_FROM*1..]->(base:Model)
WHERE NOT (base)-[:DERIVED_FROM]->(:Model)
WITH base, d ORDER BY d.id
RETURN base.id AS id, base.name AS name, count(DISTINCT d) AS derived, collect(DISTINCT d.id) AS models
ORDER BY derived DESC, id
LIMIT $limit
