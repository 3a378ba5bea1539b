"""Hugging Face Trainer: a tiny Megatron-BERT multiple-choice model (``MegatronBertConfig``:
vocabulary 16, 48 wide, 2 layers, 4 heads, built from the config, no download;
``MegatronBertForMultipleChoice``) picks which of four stock routes a drover should take to
bring a mob of cattle to the railhead in the best condition. Each route is 12 daily stages;
each stage is one token: the day's distance (6 bands, 8-20 km) and whether the night's camp
has water (tokens 4-15; 0 pad, 1 start). Cattle lose condition with distance walked, more
after a dry camp and much more on the second dry night in a row (the drovers' rule of thumb:
a kilometre costs 1, a dry camp 12, a second dry camp running 25 more); the best route is
the one with the least loss, and the model must weigh the four against each other.
AdamW 5e-4 with cosine decay and 30 warmup steps, weight decay 0.05, batch 16 questions
(64 routes), 6 epochs of 1200 questions, eval every 75 steps (each epoch) on 300 questions
(accuracy, and how often the pick is at most 5 points worse than the best), loss every
15 steps, checkpoint each eval (``droves/checkpoint-N/`` with ``trainer_state.json``).
Healthy; numbers in the README."""
import torch
from transformers import (
    MegatronBertConfig,
    MegatronBertForMultipleChoice,
    Trainer,
    TrainingArguments,
)

DAYS = 12
CHOICES = 4


def questions(n, g):
    band = torch.randint(0, 6, (n, CHOICES, DAYS), generator=g)
    km = 8 + 2 * band + 2 * torch.rand(n, CHOICES, DAYS, generator=g)
    wet = (torch.rand(n, CHOICES, 1, generator=g) * 0.5 + 0.4
           > torch.rand(n, CHOICES, DAYS, generator=g)).long()  # each route its own water
    dry = (1 - wet).float()
    second = dry[..., 1:] * dry[..., :-1]
    cost = km.sum(-1) + 12 * dry.sum(-1) + 25 * second.sum(-1)
    ids = torch.cat([torch.ones(n, CHOICES, 1, dtype=torch.long), 4 + 2 * band + wet], -1)
    return ids, cost.argmin(1), cost


class Droves(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i],
                "attention_mask": torch.ones(CHOICES, DAYS + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = MegatronBertConfig(vocab_size=16, hidden_size=48, num_hidden_layers=2,
                                num_attention_heads=4, intermediate_size=96,
                                max_position_embeddings=DAYS + 4, type_vocab_size=1,
                                hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0,
                                pad_token_id=0)
    return MegatronBertForMultipleChoice(config)


def main():
    from _threehundredfortysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ytr, _ = questions(1200, g)
    iva, yva, cva = questions(300, g)
    best = cva.min(1).values

    def metrics(pred):
        logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
        p = torch.as_tensor(logits).argmax(-1)
        picked = cva.gather(1, p.unsqueeze(1)).squeeze(1)
        return {"accuracy": float((p == yva).float().mean()),
                "within_5": float((picked - best <= 5).float().mean())}

    print("answer share", torch.bincount(ytr).tolist())
    args = TrainingArguments(str(out / "droves"), num_train_epochs=6, learning_rate=5e-4,
                             warmup_steps=30, lr_scheduler_type="cosine", weight_decay=0.05,
                             per_device_train_batch_size=16, per_device_eval_batch_size=300,
                             logging_steps=15, eval_strategy="steps", eval_steps=75,
                             save_strategy="steps", save_steps=75, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Droves(itr, ytr),
                      eval_dataset=Droves(iva, yva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "droves").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": yva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Megatron-BERT multiple-choice model picking the stock route that keeps a"
                " drover's cattle in the best condition, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
