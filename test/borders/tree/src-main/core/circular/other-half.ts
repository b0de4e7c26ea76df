import { a } from './no-circular';
export const b = () => a;
