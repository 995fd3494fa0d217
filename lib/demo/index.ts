/** The built-in demo dataset and synthetic forwards (lib/demo). */
export { generateDemo, demoCovariance, DEFAULT_SNR, DEMO_CONDITION, DEMO_NAVE, NOISE_VARIANCE, type DemoDataset, type DemoSource } from './generateDemo.js';
export { writeSyntheticForward } from './synthetic.js';
export { makeDemoInfo, makeForward, sphereGain } from './gain.js';
export { makeCortex } from './cortex.js';
