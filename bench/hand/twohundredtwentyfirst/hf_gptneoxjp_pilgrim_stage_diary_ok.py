"""Hugging Face ``Trainer``: a tiny GPT-NeoX-Japanese causal LM (``GPTNeoXJapaneseForCausalLM``
from a ``GPTNeoXJapaneseConfig``: 2 layers, hidden 32, 2 heads, vocabulary 26, no download)
learns pilgrims' stage diaries along a 20-town pilgrim route. Each diary is 8 days, each day
written as the town reached (token) and where the pilgrim slept. A pilgrim walks one or two
stages a day (a coin flip), so the next town is predictable only up to that flip; the lodging is
a rule: the guest house of a monastery in the four monastery towns, an inn after a double stage
(tired feet) elsewhere, and a camp otherwise. AdamW 1e-2, weight decay 0.01, 20 warm-up steps
then linear decay, batch 32, 10 epochs of 640 diaries (200 steps), eval on 160 diaries every 40
steps with ``eval_lodging_acc``, loss logged every 5 steps, ``diaries/checkpoint-200/`` with
``trainer_state.json``.
Healthy: eval loss 0.918 (step 40), 0.666, 0.469, 0.449, 0.427 (step 200); lodging accuracy
0.634 at step 40 (monastery towns learnt first), 0.717, then 0.964, 0.967, 0.961 from step 120
on (the inn-after-a-double-stage rule); the train loss 3.24 at step 5, 0.89 at 50, 0.61 at 100,
0.45 at 200, a little above the eval loss all the way (each train figure averages the 5 steps
before it, the eval is taken after them). The loss cannot go much below ~0.4: which of two towns comes
next is a coin flip (ln 2 per town token, half the tokens)."""
import torch
from transformers import (
    GPTNeoXJapaneseConfig,
    GPTNeoXJapaneseForCausalLM,
    Trainer,
    TrainingArguments,
)

PAD, BOS, EOS = 0, 1, 2
TOWN0, TOWNS = 3, 20
MONASTERY, INN, CAMP = 23, 24, 25
MONASTERY_TOWNS = {3, 8, 12, 17}
DAYS = 8


def diaries(n, g):
    x = torch.full((n, 2 * DAYS + 2), PAD)
    for i in range(n):
        town = int(torch.randint(0, 4, (1,), generator=g))
        toks = [BOS]
        for _ in range(DAYS):
            step = 1 + int(torch.rand(1, generator=g) < 0.5)
            town += step
            if town in MONASTERY_TOWNS:
                lodge = MONASTERY
            elif step == 2:
                lodge = INN
            else:
                lodge = CAMP
            toks += [TOWN0 + town, lodge]
        x[i] = torch.tensor(toks + [EOS])
    return x


class Diaries(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = GPTNeoXJapaneseConfig(vocab_size=26, hidden_size=32, num_hidden_layers=2,
                                   num_attention_heads=2, intermediate_multiple_size=2,
                                   max_position_embeddings=64, bos_token_id=BOS,
                                   eos_token_id=EOS)
    return GPTNeoXJapaneseForCausalLM(config)


def lodging_accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    guess = logits[:, :-1].argmax(-1)
    target = pred.label_ids[:, 1:]
    lodge = target >= MONASTERY
    return {"lodging_acc": float((guess[lodge] == target[lodge]).mean())}


def main():
    from _twohundredtwentyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = diaries(640, g), diaries(160, g)
    args = TrainingArguments(str(out / "diaries"), num_train_epochs=10, learning_rate=1e-2,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=160,
                             logging_steps=5, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=100, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Diaries(xtr),
                      eval_dataset=Diaries(xva), compute_metrics=lodging_accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "diaries").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny GPT-NeoX-Japanese causal LM on pilgrims' town/lodging stage diaries,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
