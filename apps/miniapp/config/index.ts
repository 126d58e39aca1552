import path from 'path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// The workspace core is TypeScript source: Taro's babel rule must cover it on both targets.
// marked (core's Markdown lexer) ships ES2022 private fields, which the WeChat runtime and the
// minifier do not take as they are: babel transpiles it like our own code.
const workspaceSrc = [path.resolve(__dirname, '../../../packages/core/src'), path.dirname(require.resolve('marked/package.json'))]

// zod and @xieshui/core are used by most pages; keep one copy in a shared chunk instead of one per page.
const sharedVendorGroups = {
  zod: { name: 'zod', test: /[\\/]node_modules[\\/]zod[\\/]/, chunks: 'all', priority: 30, enforce: true },
  core: { name: 'core', test: /[\\/]packages[\\/]core[\\/]src[\\/]/, chunks: 'all', priority: 25, enforce: true },
}

export default defineConfig<'webpack5'>(async (merge) => {
  const env = process.env.TARO_ENV ?? 'h5'
  const baseConfig: UserConfigExport<'webpack5'> = {
    projectName: 'xieshui-miniapp',
    date: '2026-11-26',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${env}`,
    plugins: [],
    defineConstants: {},
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      compile: { include: workspaceSrc },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        // Taro already splits vendors/common for mini programs; fold core into common explicitly.
        chain.merge({
          optimization: {
            splitChunks: {
              cacheGroups: {
                core: { name: 'common', test: /[\\/]packages[\\/]core[\\/]src[\\/]/, chunks: 'all', priority: 5, enforce: true },
              },
            },
          },
        })
      },
    },
    h5: {
      compile: { include: workspaceSrc },
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'browser' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[contenthash:8].css', chunkFilename: 'css/[name].[contenthash:8].css' },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false, config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' } },
      },
      webpackChain(chain) {
        // npm nests @tarojs/plugin-framework-react under apps/miniapp/node_modules, where the hoisted
        // @tarojs/taro-h5 cannot see it; point every import at this workspace's copy.
        chain.resolve.alias.set('@tarojs/plugin-framework-react', path.dirname(require.resolve('@tarojs/plugin-framework-react/package.json')))
        chain.merge({ optimization: { splitChunks: { cacheGroups: sharedVendorGroups } } })
      },
    },
  }
  return merge({}, baseConfig)
})
