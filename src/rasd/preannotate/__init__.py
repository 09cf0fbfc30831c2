"""preannotate"""
