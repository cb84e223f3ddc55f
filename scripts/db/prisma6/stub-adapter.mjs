// A driver adapter that answers prisma 6's wasm schema engine without a database. `migrate diff`
// between two datamodels asks exactly one thing of the connection (does the schema exist, server
// version); everything else it computes offline. Any other query means the engine wants a real
// database, which this flow must never give it, so that fails loudly.
function connection() {
  return {
    provider: "postgres",
    adapterName: "touchline-offline-stub",
    async queryRaw(query) {
      if (/pg_namespace/.test(query.sql) && /server_version_num/.test(query.sql)) {
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [5, 7, 0],
          rows: [[true, "PostgreSQL 18.4", 180004]],
        };
      }
      throw new Error(`offline stub adapter got an unexpected query: ${query.sql}`);
    },
    async executeRaw(query) {
      throw new Error(`offline stub adapter refuses to execute: ${query.sql}`);
    },
    async executeScript(script) {
      throw new Error(`offline stub adapter refuses to execute a script (${script.length} chars)`);
    },
    async startTransaction() {
      throw new Error("offline stub adapter has no transactions");
    },
    getConnectionInfo() {
      return { schemaName: "public", supportsRelationJoins: true };
    },
    async dispose() {},
  };
}

export const offlineAdapterFactory = {
  provider: "postgres",
  adapterName: "touchline-offline-stub",
  async connect() {
    return connection();
  },
  async connectToShadowDb() {
    return connection();
  },
};
