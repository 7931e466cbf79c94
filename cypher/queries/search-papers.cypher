// title: Papers whose title or abstract contains a phrase
// answers: Which papers mention $text (any case) in their title or abstract?
// param: text = "instruction tuning" -- the phrase to look for
// param: limit = 20 -- how many papers to list
MATCH (p:Paper)
WHERE toLower(p.title) CONTAINS toLower($text) OR toLower(coalesce(p.abstract, '')) CONTAINS toLower($text)
RETURN p.id AS id, p.title AS title
ORDER BY id
LIMIT $limit
