export default definePageConfig({ navigationBarTitleText: '定期数据' })
