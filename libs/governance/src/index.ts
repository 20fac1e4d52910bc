export * from './spend-pricing';
export * from './key-limits';
