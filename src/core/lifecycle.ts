/** When a traffic hook runs: before the new version gets any traffic, or once it has all of it. */
export type LifecycleEvent = 'BeforeAllowTraffic' | 'AfterAllowTraffic';
