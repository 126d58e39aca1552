export default definePageConfig({ navigationBarTitleText: '导入完税凭证' })
