import { cli } from '../cli/target';
export const x = cli;
