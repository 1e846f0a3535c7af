import '../../../widget/module.ts';
import '../shared.css';
import { createApp } from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
