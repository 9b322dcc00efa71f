// The lattice parameters a live simulator takes from its declaration. Whoever runs the simulator
// sets its size, seed and timing; these shape its dynamics, and any not given keep the lattice
// defaults. The tenant validator reads this list, and the live source hands the values on.
import type { LatticeParams } from './lattice';

export const LIVE_PARAM_NAMES = [
  'couplingK',
  'alphaRad',
  'omegaMeanRadPerS',
  'omegaSpreadRadPerS',
  'initialScaleCells',
] as const;
export type LiveParams = Partial<Pick<LatticeParams, (typeof LIVE_PARAM_NAMES)[number]>>;
