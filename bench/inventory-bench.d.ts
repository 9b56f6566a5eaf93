/** One row per host size. */
export declare function benchInventory(runs?: number): Promise<Array<Record<string, string | number>>>;
