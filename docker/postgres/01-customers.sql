-- Source table for the demo: one row per customer, four of its columns are PII that the
-- Debezium source encrypts before they reach Kafka.
CREATE TABLE customers (
    id          SERIAL PRIMARY KEY,
    full_name   TEXT NOT NULL,
    email       TEXT NOT NULL,
    phone       TEXT,
    national_id TEXT,
    birth_date  DATE,
    city        TEXT
);

INSERT INTO customers (full_name, email, phone, national_id, birth_date, city) VALUES
    ('Ada Lovelace',    'ada@example.com',    '+44 20 7946 0001', 'QQ123456A', '1815-12-10', 'London'),
    ('Alan Turing',     'alan@example.com',   '+44 20 7946 0002', 'QQ123456B', '1912-06-23', 'Manchester'),
    ('Grace Hopper',    'grace@example.com',  '+1 212 555 0103',  '078-05-1120', '1906-12-09', 'New York'),
    ('Edsger Dijkstra', 'edsger@example.com', NULL,               NULL,        '1930-05-11', 'Rotterdam');
