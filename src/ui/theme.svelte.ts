/** Light, dark or the system's, and meeting mode: page-wide looks, set on the root element. */
export class Theme {
  choice = $state<'auto' | 'light' | 'dark'>('auto');
  meeting = $state(false);
  private systemDark = $state(false);
  dark = $derived(this.choice === 'dark' || (this.choice === 'auto' && this.systemDark));

  constructor() {
    const prefersDark = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    this.systemDark = prefersDark?.matches ?? false;
    prefersDark?.addEventListener('change', (e) => (this.systemDark = e.matches));
    $effect(() => {
      document.documentElement.dataset.theme = this.dark ? 'dark' : 'light';
      document.documentElement.dataset.meeting = this.meeting ? 'on' : 'off';
    });
  }
}
