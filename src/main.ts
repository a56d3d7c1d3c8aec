import { mount } from 'svelte';
import App from './ui/App.svelte';
import { embedOptions } from './ui/embed.ts';

mount(App, { target: document.getElementById('app')!, props: { embed: embedOptions(location.search) } });
