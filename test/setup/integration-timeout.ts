// Integration tests start processes and move thousands of records through Kafka and PostgreSQL.
jest.setTimeout(180_000);
