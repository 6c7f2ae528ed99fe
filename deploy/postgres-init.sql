-- resetflow's own database beside Temporal's, on the compose PostgreSQL.
CREATE USER resetflow WITH PASSWORD 'resetflow';
CREATE DATABASE resetflow OWNER resetflow;
