export default definePageConfig({ navigationBarTitleText: '监督考核' })
