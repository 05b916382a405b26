-- A database as hearth 0.1 (schema version 1) writes it, with one row per table.
CREATE TABLE schema_version (version INTEGER NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE preferences (user TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (user, key));
CREATE TABLE history (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, input_kind TEXT NOT NULL CHECK (input_kind IN ('text', 'voice')), utterance TEXT NOT NULL, intents TEXT NOT NULL DEFAULT '[]', reply TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL, latency_ms INTEGER NOT NULL, left_device INTEGER NOT NULL DEFAULT 0 CHECK (left_device IN (0, 1)));
CREATE INDEX history_by_time ON history (time_ms);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, topic TEXT NOT NULL, payload BLOB NOT NULL, qos INTEGER NOT NULL CHECK (qos IN (0, 1, 2)), retain INTEGER NOT NULL DEFAULT 0 CHECK (retain IN (0, 1)), created_ms INTEGER NOT NULL, ttl_ms INTEGER NOT NULL, state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'acked', 'expired', 'failed')), attempts INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL, error TEXT NOT NULL DEFAULT '');
CREATE INDEX outbox_by_state ON outbox (state, id);
INSERT INTO preferences VALUES ('default', 'temperature_unit', '"F"', 1700000000000);
INSERT INTO history VALUES (1, 4102444800000, 'voice', 'turn on the kitchen light', '[{"intent":"HassTurnOn"}]', 'Done.', 'done', 120, 0);
INSERT INTO outbox VALUES (1, 'home/kitchen/light/set', 'ON', 1, 0, 1700000000000, 10000, 'acked', 1, 1700000000100, '');
