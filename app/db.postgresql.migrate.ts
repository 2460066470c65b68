import { PrismaPg } from "@prisma/adapter-pg";

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
type Queryable = Pick<Adapter, "queryRaw">;
type PgResult = { fields: { dataTypeID: number }[] };

// Catalogue types the adapter cannot read (it throws UnsupportedNativeDataType), as the text PostgreSQL sends.
const TEXT = 25;
const TEXT_ARRAY = 1009;
const AS_TEXT: Record<number, number> = { 18: TEXT, 19: TEXT, 22: TEXT, 30: TEXT, 1002: TEXT_ARRAY, 1003: TEXT_ARRAY };

// For `prisma migrate` only (docs/decisions/0021-postgresql.md): @prisma/adapter-pg 6.19.3 refuses catalogue columns
// (prisma/prisma#27403) and splits a script at every ";", cutting the analytics triggers' PL/pgSQL bodies.
export class PrismaPostgresMigrations extends PrismaPg {
  override async connect(): Promise<Adapter> {
    const adapter = readCatalogueTypes(await super.connect());
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => readCatalogueTypes(await startTransaction(isolationLevel));
    const pool = adapter.underlyingDriver();
    adapter.executeScript = async (script: string) => {
      try {
        await pool.query(script);
      } catch (error) {
        throw new Error(`migration script failed: ${(error as Error).message}`, { cause: error });
      }
    };
    return adapter;
  }
}

function readCatalogueTypes<T extends Queryable>(queryable: T): T {
  // performIO is the adapter's one round trip (not part of its public type); its result's fields decide the types.
  const target = queryable as unknown as { performIO(query: unknown): Promise<PgResult> };
  const performIO = target.performIO.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result.fields) field.dataTypeID = AS_TEXT[field.dataTypeID] ?? field.dataTypeID;
    return result;
  };
  return queryable;
}
