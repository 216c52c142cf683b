import { SealCheck } from '@strapi/icons';

const PluginIcon = () => <SealCheck />;

export { PluginIcon };
