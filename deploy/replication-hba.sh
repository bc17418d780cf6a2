#!/bin/sh
# Run once by the postgis image when it creates the database (docker-entrypoint-initdb.d): lets
# the optional `db-replica` service (docker-compose --profile replica) stream WAL from `db`,
# with the same password, from the compose network only.
echo "host replication ${POSTGRES_USER} samenet scram-sha-256" >> "$PGDATA/pg_hba.conf"
