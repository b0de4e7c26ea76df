/** One item of a row's "⋯" menu. */
export interface MenuItem {
  label: string;
  run: () => void;
  /** Why the item cannot act now; the item is then disabled and says so. */
  disabledReason?: string | null;
  testid?: string;
}
