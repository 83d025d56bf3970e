import type { CrudOperation } from "../../analysis/types.js";

// Method names per library, as their documentation lists them. A method not listed here is not
// a database call: `repo.create()` (TypeORM) only builds an entity, `qb.where()` only builds SQL.

const table = (entries: Record<CrudOperation, string[]>): Map<string, CrudOperation> => {
  const map = new Map<string, CrudOperation>();
  for (const [op, names] of Object.entries(entries) as Array<[CrudOperation, string[]]>) for (const n of names) map.set(n, op);
  return map;
};

export const PRISMA_MODEL_METHODS = table({
  READ: ["findMany", "findFirst", "findFirstOrThrow", "findUnique", "findUniqueOrThrow", "count", "aggregate", "groupBy", "findRaw", "aggregateRaw"],
  CREATE: ["create", "createMany", "createManyAndReturn"],
  UPDATE: ["update", "updateMany", "updateManyAndReturn", "upsert"],
  DELETE: ["delete", "deleteMany"],
});

/** Repository (and BaseEntity static) methods; EntityManager has the same ones with the entity first. */
export const TYPEORM_METHODS = table({
  READ: [
    "find", "findBy", "findOne", "findOneBy", "findOneOrFail", "findOneByOrFail", "findAndCount", "findAndCountBy",
    "findByIds", "count", "countBy", "exist", "exists", "existsBy", "sum", "average", "minimum", "maximum",
  ],
  CREATE: ["insert"],
  UPDATE: ["save", "update", "upsert", "increment", "decrement", "restore", "recover", "updateAll"],
  DELETE: ["delete", "remove", "softDelete", "softRemove", "deleteAll", "clear"],
});

/** QueryBuilder methods that send the query. */
export const TYPEORM_QB_EXECUTORS = new Set([
  "getMany", "getOne", "getOneOrFail", "getRawMany", "getRawOne", "getRawAndEntities", "getCount", "getManyAndCount", "getExists", "execute", "stream",
]);

export const SEQUELIZE_MODEL_METHODS = table({
  READ: ["findAll", "findOne", "findByPk", "findAndCountAll", "count", "max", "min", "sum", "aggregate", "findOrCreate", "findCreateFind"],
  CREATE: ["create", "bulkCreate"],
  UPDATE: ["update", "upsert", "increment", "decrement", "restore"],
  DELETE: ["destroy", "truncate"],
});

export const MONGOOSE_MODEL_METHODS = table({
  READ: ["find", "findOne", "findById", "countDocuments", "estimatedDocumentCount", "distinct", "exists", "aggregate", "where"],
  CREATE: ["create", "insertMany"],
  UPDATE: ["updateOne", "updateMany", "findOneAndUpdate", "findByIdAndUpdate", "replaceOne", "findOneAndReplace", "bulkWrite", "bulkSave"],
  DELETE: ["deleteOne", "deleteMany", "findOneAndDelete", "findByIdAndDelete", "findOneAndRemove", "findByIdAndRemove"],
});

export const MONGO_COLLECTION_METHODS = table({
  READ: ["find", "findOne", "countDocuments", "estimatedDocumentCount", "distinct", "aggregate"],
  CREATE: ["insertOne", "insertMany"],
  UPDATE: ["updateOne", "updateMany", "replaceOne", "findOneAndUpdate", "findOneAndReplace", "bulkWrite"],
  DELETE: ["deleteOne", "deleteMany", "findOneAndDelete"],
});

/** Knex: methods that start a builder on the instance (`knex.select(…)`, `knex.from("t")`). */
export const KNEX_BUILDER_STARTERS = new Set([
  "select", "from", "table", "into", "insert", "update", "del", "delete", "where", "whereIn", "first", "count", "pluck", "with", "withRecursive", "distinct", "queryBuilder", "upsert",
]);

export function knexOperation(methods: string[]): CrudOperation {
  if (methods.some((m) => m === "insert" || m === "upsert")) return methods.includes("onConflict") && methods.includes("merge") ? "UPDATE" : "CREATE";
  if (methods.some((m) => m === "update" || m === "increment" || m === "decrement")) return "UPDATE";
  if (methods.some((m) => m === "del" || m === "delete" || m === "truncate")) return "DELETE";
  return "READ";
}

export const DRIZZLE_STARTERS: Record<string, CrudOperation> = {
  select: "READ", selectDistinct: "READ", selectDistinctOn: "READ", $count: "READ",
  insert: "CREATE", update: "UPDATE", delete: "DELETE",
};

export const DRIZZLE_RELATIONAL_METHODS = new Set(["findMany", "findFirst"]);

/** QueryBuilder methods whose first argument is SQL text. */
export const TYPEORM_QB_SQL_METHODS = new Set([
  "where", "andWhere", "orWhere", "having", "andHaving", "orHaving", "orderBy", "addOrderBy", "groupBy", "addGroupBy", "select", "addSelect",
]);

/** Methods of a loaded Mongoose document that go back to the database. */
export const MONGOOSE_DOCUMENT_METHODS = table({
  READ: ["populate"],
  CREATE: [],
  UPDATE: ["save", "updateOne", "replaceOne"],
  DELETE: ["deleteOne", "remove"],
});

const SEQUELIZE_INSTANCE_METHODS = table({
  READ: ["reload"],
  CREATE: [],
  UPDATE: ["save", "update", "increment", "decrement", "restore"],
  DELETE: ["destroy"],
});

/** Instance methods of a loaded Sequelize row, including association accessors (`getItems`, `addTag`…). */
export function sequelizeInstanceOperation(method: string): CrudOperation | undefined {
  const known = SEQUELIZE_INSTANCE_METHODS.get(method);
  if (known) return known;
  if (/^(getDataValue|getPrevious|get|set|changed|previous|toJSON|isSoftDeleted|equals|where)$/.test(method)) return undefined;
  if (/^(get|count|has)[A-Z]/.test(method)) return "READ";
  if (/^create[A-Z]/.test(method)) return "CREATE";
  if (/^(set|add|remove)[A-Z]/.test(method)) return "UPDATE";
  return undefined;
}
