"""Hugging Face Trainer: a tiny CLIP text encoder (``CLIPTextConfig``: vocabulary 24, hidden 32,
2 layers, 2 heads, built from the config, no download) with a mean-pool + Linear head tells
which style a capoeira roda was played in (Angola, Regional, Contemporânea) from the 20 moves a
mestre's notes list for one jogo (ginga, au, negativa, armada, meia-lua de compasso, martelo,
queixada, rabo de arraia, chamada, ...). Angola games are dominated by low, slow moves and
chamadas, Regional by fast kicks and a sequence opening, Contemporânea by a mix with acrobatic
floreios; every game also has common ginga/esquiva filler, so the label is the weight of
evidence over the whole sequence. AdamW 2e-3, linear decay, batch 32, 5 epochs of 768 games,
eval every 24 steps (once per epoch), loss every 6 steps.
Healthy: eval accuracy 0.911, 0.953, 0.948, 0.943, 0.943 at steps 24–120, eval loss
0.28 → 0.16 (a plateau after epoch 2); train loss 1.09 → 0.08–0.14."""
import torch
import torch.nn as nn
from transformers import CLIPTextConfig, CLIPTextModel, Trainer, TrainingArguments

V, T = 24, 20
COMMON = list(range(2, 8))          # ginga, esquiva, cocorinha, ...
STYLE = {0: list(range(8, 13)),     # Angola: negativa, rolê, chamada, rabo de arraia, ...
         1: list(range(13, 18)),    # Regional: armada, martelo, queixada, bênção, ...
         2: list(range(18, 23))}    # Contemporânea: au sem mão, macaco, s-dobrado, ...


def games(n, g):
    y = torch.randint(0, 3, (n,), generator=g)
    x = torch.tensor(COMMON)[torch.randint(0, len(COMMON), (n, T), generator=g)]
    for i in range(n):
        k = int(torch.randint(5, 9, (1,), generator=g))
        for c in range(3):  # some moves of the other styles too
            m = k if c == int(y[i]) else int(torch.randint(0, 4, (1,), generator=g))
            pos = torch.randint(1, T, (m,), generator=g)
            x[i, pos] = torch.tensor(STYLE[c])[torch.randint(0, 5, (m,), generator=g)]
    x[:, 0] = 1  # berimbau call that opens the jogo
    return x, y


class RodaClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        cfg = CLIPTextConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                             num_hidden_layers=2, num_attention_heads=2,
                             max_position_embeddings=32, pad_token_id=0, bos_token_id=1,
                             eos_token_id=23)
        self.encoder = CLIPTextModel(cfg)
        self.head = nn.Linear(32, 3)

    def forward(self, input_ids, labels=None):
        h = self.encoder(input_ids=input_ids).last_hidden_state.mean(1)
        logits = self.head(h)
        out = {"logits": logits}
        if labels is not None:
            out["loss"] = nn.functional.cross_entropy(logits, labels)
        return out


class Games(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    return RodaClassifier()


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredthirtyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = games(768, g)
    xva, yva = games(192, g)
    args = TrainingArguments(str(out / "roda"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Games(xtr, ytr),
                      eval_dataset=Games(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "roda").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny CLIP text encoder + head naming a capoeira roda's style from its moves,"
                " HF Trainer (healthy)")


if __name__ == "__main__":
    main()
