import { target } from '../src-main/core/supervisor/target';
import { shared } from '../src-main/shared/target';
export const x = [target, shared];
