/** Whether the window currently reaches Sentinel (shown as a banner when it does not). */
export const connection = $state({ connected: false });
