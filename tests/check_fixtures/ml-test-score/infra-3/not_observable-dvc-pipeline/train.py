import pickle

pickle.dump({}, open('model.pkl', 'wb'))
