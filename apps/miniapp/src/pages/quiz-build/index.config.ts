export default definePageConfig({ navigationBarTitleText: '新建测验' })
