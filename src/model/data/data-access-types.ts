import type { CallExpression, Node, TaggedTemplateExpression } from "ts-morph";
import type { CrudOperation } from "../../analysis/types.js";

export type DataLibrary = "prisma" | "typeorm" | "sequelize" | "mongoose" | "knex" | "drizzle" | "pg" | "mysql2" | "mongodb" | "@planetscale/database" | "slonik";

/** CRUD for ORM and driver methods; RAW for SQL text handed to the database as is. */
export type DataCallOperation = CrudOperation | "RAW";

/**
 * One database call found in a file. `node` is what the program awaits: the outermost call of
 * the chain (`prisma.user.findMany()`, `knex("users").where(…).first()`, `col.find().toArray()`);
 * `opNode` is the call that names the operation, whose arguments carry where/orderBy/take
 * (`findMany({ … })`, the knex root `knex("users")`, the drizzle root `db.select()`).
 */
export interface DataCall {
  node: CallExpression | TaggedTemplateExpression;
  opNode: CallExpression | TaggedTemplateExpression;
  /** Every call of the chain from `opNode` up to `node` (builders: `.where()`, `.limit()`, `.orderBy()`…). */
  chain: CallExpression[];
  library: DataLibrary;
  /** Model, entity, table or collection name when known (raw calls: read from constant SQL). */
  table?: string;
  operation: DataCallOperation;
  /** The ORM/driver method as written, e.g. `prisma.user.findMany`, `knex("users").update`. */
  method: string;
  /** The method name alone, e.g. `findMany`, `update`, `query`. */
  methodName: string;
  line: number;
  endLine: number;
  isRaw: boolean;
  /** Raw calls: the SQL argument (string, template, tagged template, identifier…). */
  sqlNode?: Node;
  /** Raw calls: the bound values (`[id]`, `{ replacements }`), when given. */
  valuesNode?: Node;
}

/**
 * A place where SQL (or, for Mongo, `$where` JavaScript) text reaches the database as is:
 * every raw call, plus fragments inside builders (`whereRaw`, QueryBuilder `.where("…")`,
 * `sql.raw`, `Prisma.raw`, `Sequelize.literal`, `$where`).
 */
export interface SqlSite {
  node: Node;
  library: DataLibrary;
  method: string;
  sqlNode: Node;
  valuesNode?: Node;
  line: number;
  kind: "query" | "fragment" | "mongo-where";
}

/** A transaction call (`prisma.$transaction`, `dataSource.transaction`, `knex.transaction`…). */
export interface TransactionCall {
  node: CallExpression;
  library: DataLibrary;
  /** `callback` for interactive transactions, `batch` for Prisma's array form. */
  form: "callback" | "batch" | "other";
  line: number;
}

export interface DataAccess {
  calls: DataCall[];
  sqlSites: SqlSite[];
  transactions: TransactionCall[];
  /** The call recognised at this node (by `node` or `opNode`), if any. */
  callAt(node: Node): DataCall | undefined;
}

/**
 * What an expression is, as far as data access goes. Internal vocabulary of the resolver, exported
 * for rules that want to ask "is this a Prisma client?" (`resolveHandle`).
 */
export type Handle =
  | { kind: "prisma" }
  | { kind: "prisma-model"; model: string }
  | { kind: "prisma-namespace" }
  /** DataSource, Connection, EntityManager or QueryRunner: all have query/find(Entity)/getRepository. */
  | { kind: "typeorm-source" }
  | { kind: "typeorm-repo"; entity?: string }
  | { kind: "typeorm-qb"; entity?: string; op: CrudOperation }
  | { kind: "sequelize" }
  | { kind: "sequelize-models" }
  | { kind: "sequelize-model"; model: string }
  | { kind: "mongoose-model"; model?: string }
  | { kind: "knex" }
  | { kind: "knex-builder" }
  | { kind: "drizzle" }
  | { kind: "drizzle-query" }
  | { kind: "drizzle-relation"; table: string }
  | { kind: "drizzle-builder" }
  | { kind: "pg"; library?: DataLibrary }
  /** mysql2 and MySQL-protocol drivers with `query`/`execute(sql, values)`; `library` when not mysql2. */
  | { kind: "mysql"; library?: DataLibrary }
  | { kind: "mongo-client" }
  | { kind: "mongo-db" }
  | { kind: "mongo-collection"; collection?: string }
  /** A row loaded by a Sequelize model (`await Order.findByPk(id)`): `save`, `destroy`, `getItems()`… query again. */
  | { kind: "sequelize-instance"; model: string }
  | { kind: "sequelize-instances"; model: string }
  /** A Mongoose document (`await User.findById(id)`, `new User({…})`), not `.lean()`. */
  | { kind: "mongoose-document"; model?: string }
  | { kind: "mongoose-documents"; model?: string }
  /** A class whose instances are the handle (`class PrismaService extends PrismaClient`). */
  | { kind: "class"; instance: Handle }
  /** An instance of a project class that holds handles in its fields (`PrismaRepository` with `model`). */
  | { kind: "holder"; members: Record<string, Handle> };

export type HandleKind = Handle["kind"];
