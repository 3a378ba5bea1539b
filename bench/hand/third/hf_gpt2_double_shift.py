"""Hugging Face Trainer: a tiny GPT-2 (2 layers, n_embd 32, built from a config, no download)
learns a toy "recipe" language (11-word recipe lines) as a causal LM. The dataset
shifts the labels by one, as in a hand-written LM loop, but GPT2LMHeadModel shifts them again:
each position is trained to predict the token two ahead. AdamW 3e-3, linear decay."""
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

WORDS = ("<eos> add mix whisk then bake fry chill flour sugar eggs butter milk salt "
         "onions garlic grams pieces cups pinch").split()
UNIT = {"flour": "grams", "sugar": "grams", "eggs": "pieces", "butter": "grams",
        "milk": "cups", "salt": "pinch", "onions": "pieces", "garlic": "pieces"}
VOCAB, BLOCK = len(WORDS), 32


def sentences(n, g):
    """'add flour grams eggs pieces milk cups then bake <eos>': the unit follows the food."""
    ix = {w: i for i, w in enumerate(WORDS)}
    foods = list(UNIT)
    out = []
    for _ in range(n):
        pick = torch.randint(0, 8, (3,), generator=g)
        verb = torch.randint(0, 3, (2,), generator=g)
        words = [("add", "mix", "whisk")[verb[0]]]
        for k in pick:
            words += [foods[k], UNIT[foods[k]]]
        words += ["then", ("bake", "fry", "chill")[verb[1]], "<eos>"]
        out += [ix[w] for w in words]
    return torch.tensor(out)


class Blocks(torch.utils.data.Dataset):
    def __init__(self, stream):
        self.x = stream[: len(stream) // BLOCK * BLOCK].view(-1, BLOCK)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i][:-1], "labels": self.x[i][1:]}  # next-token targets


def build():
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=VOCAB, n_positions=BLOCK, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=0, eos_token_id=0)
    return GPT2LMHeadModel(config)


def main():
    from _third import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Blocks(sentences(2000, g)), Blocks(sentences(400, g))
    args = TrainingArguments(str(out / "gpt2-recipes"), num_train_epochs=12, learning_rate=3e-3,
                             per_device_train_batch_size=32, per_device_eval_batch_size=64,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gpt2-recipes").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.x[:32], val.x[:32]), causes=["labels_wrong"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="labels shifted in the dataset and again inside GPT2LMHeadModel (predicts t+2)",
           complaint="eval loss plateaus at 1.24 and generated recipes put the wrong unit "
                     "after each ingredient")


if __name__ == "__main__":
    main()
