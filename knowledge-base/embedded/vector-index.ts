import { createRequire } from 'node:module';
import type UsearchPackage from 'usearch';

let loaded: typeof UsearchPackage | undefined;

/**
 * usearch's ESM build cannot locate its prebuilt binary (its directory lookup recurses on a
 * file URL), so the CommonJS build is loaded instead, on first use, so that bundles which never
 * open the embedded knowledge base (the action-group Lambdas) do not need the native module.
 */
function usearchModule(): typeof UsearchPackage {
  loaded ??= createRequire(import.meta.url)('usearch') as typeof UsearchPackage;
  return loaded;
}

/** An HNSW index of the usearch package. */
export type VectorIndex = InstanceType<typeof UsearchPackage.Index>;

/** HNSW settings measured in bench:kb: i8 quantisation adds vectors about 3x faster than f32 here. */
export function createVectorIndex(dimensions: number): VectorIndex {
  const usearch = usearchModule();
  return new usearch.Index({
    dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.I8,
    connectivity: 16,
    expansion_add: 64,
    expansion_search: 64,
    multi: false,
  });
}
