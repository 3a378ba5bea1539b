"""Hugging Face Trainer: a tiny Longformer (``LongformerConfig``: vocabulary 40, hidden 32, 2
layers, 2 heads, attention window 8, built from the config, no download) tells which of 4
typewriter makers' keyboards typed a repair shop's 32-character test line. The test lines are
ordinary letters, spaces and punctuation shared by all keyboards; each maker's keyboard has its
own extra keys (a fraction key, a cent sign, a section sign, a German umlaut) and a line
contains one to three of them at random positions, plus ordinary letters typed where the
extra key would be on another maker's layout; 5 % of the training labels are wrong (shops file
machines under the wrong maker). AdamW 2e-3, 10 warm-up steps then linear decay, batch 32,
5 epochs of 768 lines, eval every 24 steps (once an epoch), loss every 6 steps.
Healthy, after a long flat start: the train loss sits at ln 4 = 1.386 for the first 40 steps
(eval accuracy 0.24 at step 24), then the extra keys are picked up: eval accuracy 0.74 at step
48 and 1.00 at steps 72, 96 and 120, eval loss 1.40 → 0.45; the train loss stays above it
(0.59 at the end, the 5 % wrong labels and the small, decaying learning rate)."""
import torch
from transformers import (
    LongformerConfig,
    LongformerForSequenceClassification,
    Trainer,
    TrainingArguments,
)

V, T = 40, 32
BOS, PAD, EOS, SPACE = 0, 1, 2, 3
LETTERS = list(range(4, 30))
EXTRA = {0: [30, 31], 1: [32, 33], 2: [34, 35], 3: [36, 37]}


def lines(n, g, flip=0.0):
    x = torch.tensor(LETTERS)[torch.randint(0, len(LETTERS), (n, T), generator=g)]
    x = torch.where(torch.rand(n, T, generator=g) < 0.18, SPACE, x)
    y = torch.randint(0, 4, (n,), generator=g)
    for i in range(n):
        k = int(torch.randint(1, 4, (1,), generator=g))
        pos = torch.randperm(T - 2, generator=g)[:k] + 1
        keys = torch.tensor(EXTRA[int(y[i])])
        x[i, pos] = keys[torch.randint(0, 2, (k,), generator=g)]
    x[:, 0], x[:, -1] = BOS, EOS
    wrong = torch.rand(n, generator=g) < flip
    y = torch.where(wrong, (y + torch.randint(1, 4, (n,), generator=g)) % 4, y)
    return x, y


class Lines(torch.utils.data.Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "attention_mask": torch.ones(T, dtype=torch.long),
                "labels": self.y[i]}


def build():
    torch.manual_seed(0)
    makers = ["remington", "underwood", "olivetti", "olympia"]
    config = LongformerConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2,
                              num_attention_heads=2, intermediate_size=64, attention_window=8,
                              max_position_embeddings=T + 4, pad_token_id=PAD,
                              bos_token_id=BOS, eos_token_id=EOS, sep_token_id=EOS,
                              type_vocab_size=1, num_labels=4,
                              id2label=dict(enumerate(makers)),
                              label2id={m: i for i, m in enumerate(makers)})
    return LongformerForSequenceClassification(config)


def accuracy(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    return {"accuracy": float((logits.argmax(-1) == pred.label_ids).mean())}


def main():
    from _twohundredninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = lines(768, g, flip=0.05)
    xva, yva = lines(192, g)
    args = TrainingArguments(str(out / "testpage"), num_train_epochs=5, learning_rate=2e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=6, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=60, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Lines(xtr, ytr),
                      eval_dataset=Lines(xva, yva), compute_metrics=accuracy)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "testpage").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Longformer typewriter-maker classifier from test lines, HF Trainer, 5 % "
                "noisy labels (healthy)")


if __name__ == "__main__":
    main()
