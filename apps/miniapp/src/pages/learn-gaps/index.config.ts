export default definePageConfig({ navigationBarTitleText: '没搜到的问题' })
