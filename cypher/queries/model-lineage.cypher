// title: Lineage tree of a model
// answers: Which models derive from $model (fine-tuned, distilled, adapted, extended from it) at any depth, how deep, and from which parent in the tree?
// param: model = "LLaMA" -- the root model: its id, or its name or an alias in any case
MATCH (root:Model)
WHERE root.id = $model OR toLower(root.name) = toLower($model)
   OR any(alias IN coalesce(root.aliases, []) WHERE toLower(alias) = toLower($model))
MATCH path = (d:Model)-[:DERIVED_FROM*1..]->(root)
WITH root, d, min(length(path)) AS depth
MATCH (d)-[r:DERIVED_FROM]->(parent:Model)
WHERE parent = root OR (parent)-[:DERIVED_FROM*1..]->(root)
RETURN root.id AS root, d.id AS id, d.name AS name, depth, parent.id AS parent, r.how AS how
ORDER BY root, depth, id, parent
