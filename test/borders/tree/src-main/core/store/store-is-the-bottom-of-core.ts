import { target } from '../supervisor/target';
export const x = target;
