import { target } from '../core/supervisor/target';
export const x = target;
