/// <reference types="@tarojs/taro" />

declare module '*.css'

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    TARO_ENV: 'weapp' | 'h5' | string
    /** Base URL of the API; empty means same origin (H5 served by the API). */
    TARO_APP_API_BASE?: string
  }
}
