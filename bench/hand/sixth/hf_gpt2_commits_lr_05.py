"""Hugging Face Trainer: a tiny GPT-2 (``GPT2Config``: 2 layers, 2 heads, n_embd 32, word-level
vocabulary, no download) learns commit messages made from a small grammar ("fix typo in
parser", "add tests for cache" ...). The learning rate came from the team's SGD config,
``learning_rate=0.5`` (bug: learning rate ~1000x too high for AdamW on a transformer; the first
logged loss is 8.7 -- above ln V = 3.3 -- and the run settles at 2.68, the unigram level, where
the grammar allows ~1.09). Linear schedule, no warm-up, the Trainer's default clipping at 1.0
(which cannot help: Adam's step does not scale with the gradient), eval every 50 steps."""
import torch
from transformers import GPT2Config, GPT2LMHeadModel, Trainer, TrainingArguments

VERBS = ["fix", "add", "remove", "update", "refactor", "bump", "revert", "rename"]
THINGS = ["typo", "tests", "docs", "parser", "cache", "logging", "config", "deps", "ci"]
PLACES = ["parser", "cache", "cli", "readme", "api", "build", "server"]
WORDS = ["<pad>", "<eos>", "in", "for", "the", *VERBS, *THINGS, *PLACES]
VOCAB = {w: i for i, w in enumerate(dict.fromkeys(WORDS))}
CTX = 24


class Commits(torch.utils.data.Dataset):
    def __init__(self, n, g):
        def pick(xs):
            return xs[int(torch.randint(len(xs), (1,), generator=g))]
        self.ids = torch.zeros(n, CTX, dtype=torch.long)
        for i in range(n):
            toks = []
            while len(toks) < CTX:
                verb = pick(VERBS)
                thing = pick(THINGS[:4] if verb in ("fix", "add") else THINGS)
                toks += [verb, thing, pick(["in", "for"]), "the", pick(PLACES), "<eos>"]
            self.ids[i] = torch.tensor([VOCAB[t] for t in toks[:CTX]])

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(VOCAB), n_positions=CTX, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=1, eos_token_id=1, pad_token_id=0)
    return GPT2LMHeadModel(config)


def main():
    from _sixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = Commits(1500, g), Commits(200, g)
    args = TrainingArguments(str(out / "gpt2-commits"), num_train_epochs=4,
                             learning_rate=0.5,  # BUG: 5e-4 is the usual order for AdamW
                             per_device_train_batch_size=32, per_device_eval_batch_size=100,
                             logging_steps=10, eval_strategy="steps", eval_steps=50,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "gpt2-commits").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, (val.ids[:32], val.ids[:32]), causes=["lr_too_high"],
           checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="GPT-2 (tiny, from config) trained with AdamW lr 0.5",
           complaint=("first logged loss 8.66, eval_loss now flat "
                      "at 2.69, generations are just frequent words"))


if __name__ == "__main__":
    main()
