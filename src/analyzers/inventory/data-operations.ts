import { defineAnalyzer } from "../../analysis/define-analyzer.js";
import { describeSql, evaluateSql, getDataAccess } from "../../model/data/data-access.js";

/**
 * Lists the tables and collections the changed code reads and writes, one entry per database
 * call (the engine keeps the entries on changed lines). Raw SQL counts when its text is known:
 * the operation comes from the leading keyword, the table from FROM/INTO/UPDATE.
 */
export const dataOperations = defineAnalyzer({
  id: "inventory/data-operations",
  kind: "inventory",
  category: "inventory",
  description: "Tables and collections read and written by the changed code, across Prisma, TypeORM, Sequelize, Mongoose, Knex, Drizzle, pg, mysql2 and the MongoDB driver.",
  defaultSeverity: "info",
  messages: {},
  recommendation: "",
  async checkFile(ctx) {
    const access = await getDataAccess(ctx);
    for (const call of access.calls) {
      let { table, operation } = call;
      if (call.isRaw) {
        const described = call.sqlNode ? describeSql(evaluateSql(call.sqlNode)) : undefined;
        if (!described?.table) continue;
        table = described.table;
        operation = described.operation;
      }
      if (!table || operation === "RAW") continue;
      ctx.inventory.add("dataOperations", { file: ctx.path, line: call.line, table, operation, library: call.library, method: call.method });
    }
  },
});

export default dataOperations;
