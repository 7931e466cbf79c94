// Schema for the papers-kg graph in Neo4j 5: `kg load` applies it when the server is Neo4j, and
// OUT/neo4j/import.sh after a bulk import. Every statement is idempotent (IF NOT EXISTS).

// One node per id and label; the constraint also gives MERGE its index.
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT model_id IF NOT EXISTS FOR (n:Model) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT method_id IF NOT EXISTS FOR (n:Method) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT repository_id IF NOT EXISTS FOR (n:Repository) REQUIRE n.id IS UNIQUE;

// Lookups by name, arXiv id, date and code host.
CREATE INDEX paper_name IF NOT EXISTS FOR (n:Paper) ON (n.name);
CREATE INDEX paper_arxiv_id IF NOT EXISTS FOR (n:Paper) ON (n.arxiv_id);
CREATE INDEX paper_published IF NOT EXISTS FOR (n:Paper) ON (n.published);
CREATE INDEX model_name IF NOT EXISTS FOR (n:Model) ON (n.name);
CREATE INDEX method_name IF NOT EXISTS FOR (n:Method) ON (n.name);
CREATE INDEX dataset_name IF NOT EXISTS FOR (n:Dataset) ON (n.name);
CREATE INDEX repository_host IF NOT EXISTS FOR (n:Repository) ON (n.host);

// Full-text search over names and aliases of every entity, and over paper titles and abstracts:
//   CALL db.index.fulltext.queryNodes('entity_names', 'llama~') YIELD node, score RETURN node.name, score
//   CALL db.index.fulltext.queryNodes('paper_text', 'instruction tuning') YIELD node, score RETURN node.title, score
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Paper|Model|Method|Dataset|Repository) ON EACH [n.name, n.aliases];
CREATE FULLTEXT INDEX paper_text IF NOT EXISTS
FOR (n:Paper) ON EACH [n.title, n.abstract];

// Wait until the indexes are online before loading or querying.
CALL db.awaitIndexes(300);
