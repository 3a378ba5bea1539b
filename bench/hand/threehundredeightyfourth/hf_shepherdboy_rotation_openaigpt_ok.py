"""Hugging Face Trainer: a tiny OpenAI-GPT (``OpenAIGPTConfig``: vocabulary 12, 48 wide,
2 layers, 4 heads, built from the config, no download; ``OpenAIGPTLMHeadModel``) learns a
hill farm's grazing diary so it can tell the shepherd boy where the flock goes tomorrow.
Each diary is 40 days; a token is the fold the flock grazed that day (tokens 3-10 are the
eight folds in their order round the hill, 1 start, 0 pad, 2 "housed" for a storm day). The
flock goes round the folds in order, clockwise or anticlockwise as the farm's gates lie (half
the farms each way); a fold's stay is set by its size (2, 3, 4, 3, 2, 4, 3, 2 days for the
eight folds, the same on every farm); on 4 % of days a storm keeps the flock housed and the
stay resumes after. A diary starts at a random fold, part-way through its stay. After the
first move, the next day is foreseeable except for storms. Causal LM loss on every next day.
AdamW 2e-3 with a cosine schedule and 10 warmup steps, weight decay 0.01, batch 32, 6 epochs of
1200 diaries, eval every 30 steps on 300 diaries (next-day accuracy over all days and over
the days after the first move), loss every 10 steps, checkpoint every 30 steps
(``rotation/checkpoint-N/`` with ``trainer_state.json``, two kept).
Healthy; numbers in the README."""
import torch
from transformers import OpenAIGPTConfig, OpenAIGPTLMHeadModel, Trainer, TrainingArguments

DAYS = 40


STAY = [2, 3, 4, 3, 2, 4, 3, 2]


def diaries(n, g):
    out = torch.zeros(n, DAYS + 1, dtype=torch.long)
    out[:, 0] = 1
    first_move = torch.zeros(n, dtype=torch.long)
    for i in range(n):
        way = 1 if float(torch.rand(1, generator=g)) < 0.5 else -1
        k = int(torch.randint(0, 8, (1,), generator=g))
        left = int(torch.randint(1, STAY[k] + 1, (1,), generator=g))
        for d in range(1, DAYS + 1):
            if float(torch.rand(1, generator=g)) < 0.04:
                out[i, d] = 2
                continue
            out[i, d] = 3 + k
            left -= 1
            if left == 0:
                k = (k + way) % 8
                left = STAY[k]
                if first_move[i] == 0:
                    first_move[i] = d + 1
    return out, first_move


class Diaries(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = OpenAIGPTConfig(vocab_size=12, n_positions=DAYS + 8, n_embd=48, n_layer=2,
                             n_head=4, resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0)
    return OpenAIGPTLMHeadModel(config)


def make_metrics(after):
    def metrics(pred):
        p = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
        y = pred.label_ids[:, 1:]
        hit = p[:, :-1] == y
        days = torch.arange(1, DAYS + 1).unsqueeze(0).numpy()
        late = days > after.unsqueeze(1).numpy()
        return {"next_day_acc": float(hit.mean()),
                "next_day_acc_after_first_move": float(hit[late].mean())}
    return metrics


def main():
    from _threehundredeightyfourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, _ = diaries(1200, g)
    iva, r1 = diaries(300, g)
    print("first move on day", r1.float().mean().item())
    args = TrainingArguments(str(out / "rotation"), num_train_epochs=6, learning_rate=2e-3,
                             warmup_steps=10, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="steps", eval_steps=30,
                             save_strategy="steps", save_steps=30, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Diaries(itr),
                      eval_dataset=Diaries(iva), compute_metrics=make_metrics(r1),
                      preprocess_logits_for_metrics=lambda logits, labels: logits.argmax(-1))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "rotation").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64].clone()},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny OpenAI-GPT causal LM learning a hill farm's fold rotation from grazing"
                " diaries, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
