import { b } from './other-half';
export const a = () => b;
