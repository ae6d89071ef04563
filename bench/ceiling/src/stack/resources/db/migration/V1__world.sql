CREATE TABLE world (
    id INTEGER PRIMARY KEY,
    randomnumber INTEGER NOT NULL
);
INSERT INTO world (id, randomnumber) SELECT i, (i * 7919) % 10000 FROM generate_series(1, 100) AS i;
