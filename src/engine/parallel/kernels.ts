/**
 * Every kernel a compute thread can run, by name. A kernel is `(args, block) => void`: it
 * handles one fixed row block (blocks.ts) and writes only that block's outputs.
 */
import { KMEANS_KERNELS } from '../cluster/kmeansKernels';
import { SILHOUETTE_KERNELS } from '../evaluate/silhouetteKernel';
import { EXPLAIN_KERNELS } from '../pipeline/explainTableKernel';

export const KERNELS = {
  ...KMEANS_KERNELS,
  ...EXPLAIN_KERNELS,
  ...SILHOUETTE_KERNELS,
};

export type KernelName = keyof typeof KERNELS;
export type KernelArgs<N extends KernelName> = Parameters<(typeof KERNELS)[N]>[0];
